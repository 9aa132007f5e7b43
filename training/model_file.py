"""Reader and writer of the EdgeVoice model file (.evm), format version 1.

Layout (all integers little-endian; docs/model-format.md is the full description):

  magic      8 bytes  b"EVMODEL\\0"
  version    u32      1
  meta_len   u32      length of the metadata in bytes
  metadata   UTF-8 JSON
  count      u32      number of tensors
  table      count entries: name_len u32, name UTF-8, dtype u32 (0 = float32), rank u32,
             dims u64 * rank, offset u64 (from the start of the file), nbytes u64
  padding    zeros up to a 64-byte boundary; every tensor starts 64-byte aligned
  data       tensor bytes, row-major (C order), little-endian
  sha256     32 bytes: SHA-256 of every byte before it

Tensor names are the PyTorch state_dict names of training/model.py:Transducer.
"""

from __future__ import annotations

import hashlib
import json
import struct
from typing import Dict, Tuple

import numpy as np
import torch

MAGIC = b"EVMODEL\0"
FORMAT_VERSION = 1
ALIGN = 64
DTYPE_FLOAT32 = 0
DTYPE_INT8_PER_CHANNEL = 1      # reserved
DTYPE_INT8_BLOCK_SPARSE = 2     # reserved
REGENERATE_HINT = "re-export it with: /usr/bin/python3 training/export.py --checkpoint <ckpt> --output <file.evm>"


def _align(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


def write_model(path: str, tensors: Dict[str, torch.Tensor], metadata: dict) -> int:
    """Write the file; returns its size in bytes."""
    arrays = {name: t.detach().cpu().contiguous().float().numpy().astype("<f4") for name, t in tensors.items()}
    meta = json.dumps(metadata, ensure_ascii=False, indent=1).encode("utf-8")
    head = bytearray(MAGIC + struct.pack("<II", FORMAT_VERSION, len(meta)) + meta)
    head += struct.pack("<I", len(arrays))
    table_size = sum(4 + len(n.encode("utf-8")) + 4 + 4 + 8 * a.ndim + 8 + 8 for n, a in arrays.items())
    offset = _align(len(head) + table_size)
    placed = []
    for name, a in arrays.items():
        nb = name.encode("utf-8")
        head += struct.pack("<I", len(nb)) + nb + struct.pack("<II", DTYPE_FLOAT32, a.ndim)
        head += struct.pack(f"<{a.ndim}Q", *a.shape) if a.ndim else b""
        head += struct.pack("<QQ", offset, a.nbytes)
        placed.append((offset, a))
        offset = _align(offset + a.nbytes)
    body = bytearray(head)
    for off, a in placed:
        body += b"\0" * (off - len(body))
        body += a.tobytes()
    body += hashlib.sha256(body).digest()
    with open(path, "wb") as f:
        f.write(body)
    return len(body)


def read_model(path: str) -> Tuple[dict, Dict[str, torch.Tensor]]:
    """Read and verify a model file; returns (metadata, tensors by name)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 16 + 32 or data[:8] != MAGIC:
        raise ValueError(f"{path} is not an EdgeVoice model file (bad magic); {REGENERATE_HINT}")
    version, meta_len = struct.unpack_from("<II", data, 8)
    if version != FORMAT_VERSION:
        raise ValueError(f"{path} has format version {version}, this reader understands {FORMAT_VERSION}; {REGENERATE_HINT}")
    if hashlib.sha256(data[:-32]).digest() != data[-32:]:
        raise ValueError(f"{path} is corrupt (SHA-256 mismatch); {REGENERATE_HINT}")
    pos = 16
    metadata = json.loads(data[pos:pos + meta_len].decode("utf-8"))
    pos += meta_len
    (count,) = struct.unpack_from("<I", data, pos)
    pos += 4
    tensors = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<I", data, pos)
        pos += 4
        name = data[pos:pos + name_len].decode("utf-8")
        pos += name_len
        dtype, rank = struct.unpack_from("<II", data, pos)
        pos += 8
        dims = struct.unpack_from(f"<{rank}Q", data, pos) if rank else ()
        pos += 8 * rank
        offset, nbytes = struct.unpack_from("<QQ", data, pos)
        pos += 16
        if dtype != DTYPE_FLOAT32:
            raise ValueError(f"{path}: tensor {name} has dtype code {dtype}; only 0 (float32) is supported")
        if offset % ALIGN or offset + nbytes > len(data) - 32:
            raise ValueError(f"{path}: tensor {name} lies outside the data section")
        a = np.frombuffer(data, dtype="<f4", count=nbytes // 4, offset=offset).reshape(dims)
        tensors[name] = torch.from_numpy(a.copy())
    return metadata, tensors
