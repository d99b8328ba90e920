"""One epoch of DeZero's step 51 in PyTorch eager, for bench/autograd.sh:
MNIST scaled to [0, 1] in float32, an MLP 784-1000-10 with sigmoid, softmax
cross-entropy, SGD lr 0.01, batches of 100 in a shuffled order, 1 thread.
Times the training loop alone. Prints one line of key=value figures.
usage: python3 autograd_step51_torch.py MNIST_DIR"""
import gzip
import os
import sys
import time

import numpy as np
import torch


def load(d):
    with gzip.open(os.path.join(d, 'train-images-idx3-ubyte.gz')) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(os.path.join(d, 'train-labels-idx1-ubyte.gz')) as f:
        t = np.frombuffer(f.read(), np.uint8, offset=8)
    return x.astype(np.float32) / 255.0, t.astype(np.int64)


torch.set_num_threads(1)
torch.manual_seed(0)
x, t = load(sys.argv[1])
x, t = torch.from_numpy(x), torch.from_numpy(t)
model = torch.nn.Sequential(torch.nn.Linear(784, 1000), torch.nn.Sigmoid(), torch.nn.Linear(1000, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
lossf = torch.nn.CrossEntropyLoss()
n, batch = len(t), 100
c0 = time.process_time()
t0 = time.perf_counter()
total = 0.0
perm = torch.randperm(n)
for i in range(0, n, batch):
    idx = perm[i:i + batch]
    loss = lossf(model(x[idx]), t[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    total += loss.item() * len(idx)
dt = time.perf_counter() - t0
cpu = time.process_time() - c0
print('torch step51 threads=%d epoch_seconds=%.3f cpu_seconds=%.3f train_loss=%.4f' % (torch.get_num_threads(), dt, cpu, total / n))
