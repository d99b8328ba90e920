# The micrograd demo's computation in PyTorch (float64), for comparison with
# examples/micrograd: make_moons(100, noise=0.1) after np.random.seed(1337),
# an MLP 2-16-16-1 whose weights are drawn from random.uniform(-1, 1) after
# random.seed(1337) neuron by neuron as micrograd draws them (biases 0), the
# max-margin loss with L2 1e-4, SGD with lr 1 - 0.9k/100. Prints what the Go
# program prints. Usage: python3 moons_torch.py [steps]
import random
import sys

import numpy as np
import torch
from sklearn.datasets import make_moons

torch.set_num_threads(1)
np.random.seed(1337)
random.seed(1337)
X, y = make_moons(n_samples=100, noise=0.1)
X = torch.tensor(X, dtype=torch.float64)
y = torch.tensor(y * 2 - 1, dtype=torch.float64).reshape(-1, 1)

sizes = [2, 16, 16, 1]
Ws, bs = [], []
for nin, nout in zip(sizes[:-1], sizes[1:]):
    w = torch.zeros(nin, nout, dtype=torch.float64)
    for j in range(nout):
        for i in range(nin):
            w[i, j] = random.uniform(-1, 1)
    Ws.append(w.requires_grad_())
    bs.append(torch.zeros(nout, dtype=torch.float64, requires_grad=True))
params = Ws + bs

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
for k in range(steps):
    h = X
    for l, (w, b) in enumerate(zip(Ws, bs)):
        h = h @ w + b
        if l < len(Ws) - 1:
            h = torch.relu(h)
    scores = h
    data_loss = torch.relu(1 - y * scores).sum() * (1.0 / len(y))
    reg = sum((p * p).sum() for p in params)
    total = data_loss + 1e-4 * reg
    acc = ((y > 0) == (scores > 0)).double().mean().item()
    for p in params:
        p.grad = None
    total.backward()
    lr = 1.0 - 0.9 * k / 100
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
    print(f"step {k} loss {total.item()!r}, accuracy {acc * 100}%")
