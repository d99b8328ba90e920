"""A kiso network in PyTorch, written by kiso export.

build() makes the torch.nn.Sequential with kiso's layers, numbered as in
kiso, and load() fills it with the weights in the file WEIGHTS names,
beside this one, and puts it in evaluation mode:

    import torch
    from convnet import load, INPUT_SHAPE   # this file's folder on sys.path
    model = load()
    x = torch.zeros(1, *INPUT_SHAPE, dtype=torch.float32)   # a batch of one
    with torch.no_grad():
        logits = model(x)

Output: logits [batch, 3]. Running this file prints the loaded model.
"""
import json
import os
import struct

import torch
from torch import nn

WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "convnet.safetensors")
DTYPE = torch.float32
INPUT_SHAPE = (2, 6, 6)  # one case, without the batch dimension
CLASSES = ["a", "b", "c"]
# The network was trained on standardized inputs: give it (x - MEAN) / STD.
MEAN = [1.0, 2.0]
STD = [0.5, 4.0]


def build():
    """Returns the network, untrained; the comments give each layer's output."""
    return nn.Sequential(
        nn.Conv2d(2, 3, (3, 3), stride=1, padding=1),    # 0: [batch, 3, 6, 6]
        nn.BatchNorm2d(3, eps=1e-05),                    # 1: [batch, 3, 6, 6]
        nn.ReLU(),                                       # 2: [batch, 3, 6, 6]
        nn.MaxPool2d((2, 2), stride=2, padding=0),       # 3: [batch, 3, 3, 3]
        nn.Conv2d(3, 4, (2, 1), stride=1, padding=0, bias=False), # 4: [batch, 4, 2, 3]
        nn.Flatten(),                                    # 5: [batch, 24]
        nn.Linear(24, 5),                                # 6: [batch, 5]
        nn.BatchNorm1d(5, eps=1e-05),                    # 7: [batch, 5]
        nn.Tanh(),                                       # 8: [batch, 5]
        nn.Linear(5, 3),                                 # 9: [batch, 3]
    )


def read_safetensors(path):
    """Returns the tensors of a safetensors file by name: an 8-byte
    little-endian header length, a JSON header, then the data."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    dtypes = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        buf = bytearray(data[8 + n + begin:8 + n + end])
        tensors[name] = torch.frombuffer(buf, dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return tensors


def load(path=WEIGHTS):
    """Returns the network with the exported weights, in evaluation mode."""
    model = build().to(DTYPE)
    model.load_state_dict(read_safetensors(path))
    return model.eval()


if __name__ == "__main__":
    print(load())
