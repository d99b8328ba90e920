"""Runs torch.optim.AdamW and clip_grad_norm_ on the parameters and gradients
that optim's TestAdamWAgainstPyTorch writes (JSON on argv[1]), in float64,
and prints the parameters after every step as JSON."""
import json
import sys

import torch

c = json.load(open(sys.argv[1]))
params = [torch.tensor(p["value"], dtype=torch.float64).requires_grad_() for p in c["params"]]
groups = [{"params": [p], "weight_decay": c["weight_decay"] if spec["decay"] else 0.0} for p, spec in zip(params, c["params"])]
opt = torch.optim.AdamW(groups, lr=c["lrs"][0], betas=(c["beta1"], c["beta2"]), eps=c["eps"], foreach=False)
out = {"steps": [], "norms": []}
for step, grads in enumerate(c["grads"]):
    for g in opt.param_groups:
        g["lr"] = c["lrs"][step]
    for p, g in zip(params, grads):
        p.grad = torch.tensor(g, dtype=torch.float64).view_as(p)
    out["norms"].append(torch.nn.utils.clip_grad_norm_(params, c["clip"]).item())
    opt.step()
    out["steps"].append([p.detach().flatten().tolist() for p in params])
print(json.dumps(out))
