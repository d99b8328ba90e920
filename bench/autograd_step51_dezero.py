"""One epoch of DeZero's step 51 in DeZero itself, for bench/autograd.sh: the
step's model (MLP((1000, 10)), sigmoid), optimizer (SGD lr 0.01) and
DataLoader (batches of 100, shuffled), on MNIST read from kiso's files
(float32 / 255, as DeZero's MNIST transform). Times the training loop alone.
Prints one line of key=value figures.
usage: python3 autograd_step51_dezero.py DEZERO_DIR MNIST_DIR"""
import gzip
import os
import sys
import time

import numpy as np

sys.path.insert(0, sys.argv[1])
import dezero.functions as F  # noqa: E402
from dezero import DataLoader, optimizers  # noqa: E402
from dezero.models import MLP  # noqa: E402


class Set:
    def __init__(self, d):
        with gzip.open(os.path.join(d, 'train-images-idx3-ubyte.gz')) as f:
            self.x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0
        with gzip.open(os.path.join(d, 'train-labels-idx1-ubyte.gz')) as f:
            self.t = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)

    def __getitem__(self, i):
        return self.x[i], self.t[i]

    def __len__(self):
        return len(self.t)


np.random.seed(0)
train_set = Set(sys.argv[2])
loader = DataLoader(train_set, 100)
model = MLP((1000, 10))
optimizer = optimizers.SGD().setup(model)
c0 = time.process_time()
t0 = time.perf_counter()
total = 0.0
for x, t in loader:
    y = model(x)
    loss = F.softmax_cross_entropy(y, t)
    model.cleargrads()
    loss.backward()
    optimizer.update()
    total += float(loss.data) * len(t)
dt = time.perf_counter() - t0
cpu = time.process_time() - c0
print('dezero step51 epoch_seconds=%.3f cpu_seconds=%.3f train_loss=%.4f' % (dt, cpu, total / len(train_set)))
