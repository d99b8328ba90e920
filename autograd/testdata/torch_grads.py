# Computes, with PyTorch's autograd in float64, the first derivatives of
# L = sum(f(x) * r) and the second derivatives H.v = grad of sum_i <dL/dx_i, v_i>
# for the cases that autograd's TestAgainstPyTorch writes to the JSON file
# named on the command line, and prints them as JSON.
import json
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
cases = json.load(open(sys.argv[1]))
out = []
for c in cases:
    x = [torch.tensor(t["data"], dtype=torch.float64).reshape(t["shape"]).requires_grad_() for t in c["inputs"]]
    r = torch.tensor(c["r"]["data"], dtype=torch.float64).reshape(c["r"]["shape"])
    v = [torch.tensor(t["data"], dtype=torch.float64).reshape(t["shape"]) for t in c["v"]]
    y = eval(c["torch"], {"torch": torch, "F": F, "x": x})
    L = (y * r).sum()
    g = torch.autograd.grad(L, x, create_graph=True, allow_unused=True)
    g = [gi if gi is not None else torch.zeros_like(xi) for gi, xi in zip(g, x)]
    G = sum((gi * vi).sum() for gi, vi in zip(g, v))
    if G.requires_grad:
        h = torch.autograd.grad(G, x, allow_unused=True)
    else:
        h = [None] * len(x)
    h = [hi if hi is not None else torch.zeros_like(xi) for hi, xi in zip(h, x)]
    out.append({"name": c["name"],
                "first": [gi.detach().reshape(-1).tolist() for gi in g],
                "second": [hi.detach().reshape(-1).tolist() for hi in h]})
json.dump(out, sys.stdout)
