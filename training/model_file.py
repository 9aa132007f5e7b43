"""Reader and writer of the EdgeVoice model file (.evm), format versions 1 and 2.

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

Version 2 (docs/model-format.md) adds compressed weight matrices. A tensor of shape [d0, d1, ...] is a matrix
of rows = d0 output channels by cols = d1*d2*... columns:

  dtype 1   int8 per channel: scales f32[rows], then int8[rows*cols] row-major; W ~= scales[r] * q[r, c]
  dtype 2   block-sparse int8 in 1x16 blocks: scales f32[rows], then a bitmap of ceil(rows*ceil(cols/16)/8)
            bytes (bit b%8 of byte b//8 for block b = r*ceil(cols/16) + c), then 16 int8 per set bit in block
            order, the columns past cols of a row's last block zero

Values lie in [-127, 127]; scales are finite and positive. write_model writes version 1 unless a tensor is a
QuantizedTensor; read_model reads both and dequantizes int8 tensors unless asked not to.
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
FORMAT_VERSION_2 = 2
DTYPE_INT8_PER_CHANNEL = 1
DTYPE_INT8_BLOCK_SPARSE = 2
BLOCK = 16
REGENERATE_HINT = "re-export it with: /usr/bin/python3 training/export.py --checkpoint <ckpt> --output <file.evm>"


def _align(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


class QuantizedTensor:
    """A weight matrix stored as int8 with one scale per row (dtype 1), or block-sparse when ``sparse`` (dtype 2).

    ``values`` is the dense int8 matrix [rows, cols] (pruned blocks are zero); ``scales`` float32 [rows].
    """

    def __init__(self, shape, values: np.ndarray, scales: np.ndarray, sparse: bool = False):
        self.shape = tuple(int(d) for d in shape)
        rows = self.shape[0]
        cols = int(np.prod(self.shape[1:])) if len(self.shape) > 1 else 1
        self.values = np.ascontiguousarray(values, dtype=np.int8).reshape(rows, cols)
        self.scales = np.ascontiguousarray(scales, dtype="<f4").reshape(rows)
        self.sparse = sparse
        if self.values.min(initial=0) < -127:
            raise ValueError("int8 values must lie in [-127, 127]")
        if not np.all(np.isfinite(self.scales)) or np.any(self.scales <= 0):
            raise ValueError("scales must be finite and positive")

    @property
    def dtype_code(self) -> int:
        return DTYPE_INT8_BLOCK_SPARSE if self.sparse else DTYPE_INT8_PER_CHANNEL

    def dequantize(self) -> torch.Tensor:
        w = self.values.astype(np.float32) * self.scales[:, None]
        return torch.from_numpy(w.reshape(self.shape).copy())

    def block_mask(self) -> np.ndarray:
        """[rows, ceil(cols/16)] bool: which 1x16 blocks hold a non-zero value."""
        rows, cols = self.values.shape
        nb = (cols + BLOCK - 1) // BLOCK
        padded = np.zeros((rows, nb * BLOCK), dtype=np.int8)
        padded[:, :cols] = self.values
        return padded.reshape(rows, nb, BLOCK).any(axis=2)

    def to_bytes(self) -> bytes:
        if not self.sparse:
            return self.scales.tobytes() + self.values.tobytes()
        rows, cols = self.values.shape
        nb = (cols + BLOCK - 1) // BLOCK
        padded = np.zeros((rows, nb * BLOCK), dtype=np.int8)
        padded[:, :cols] = self.values
        blocks = padded.reshape(rows * nb, BLOCK)
        mask = self.block_mask().reshape(-1)
        bitmap = np.packbits(mask.astype(np.uint8), bitorder="little")
        return self.scales.tobytes() + bitmap.tobytes() + blocks[mask].tobytes()


def quantize_per_channel(w: torch.Tensor, sparse: bool = False) -> QuantizedTensor:
    """Symmetric per-row int8 (scale = max|row| / 127, 1 for a zero row; round half to even), as the C# compressor."""
    a = w.detach().cpu().float().numpy().reshape(w.shape[0], -1).astype(np.float32)
    m = np.abs(a).max(axis=1)
    scale = np.where(m > 0, m / np.float32(127), np.float32(1)).astype(np.float32)
    inv = np.where(m > 0, np.float32(127) / np.where(m > 0, m, 1), 0).astype(np.float32)
    q = np.clip(np.rint(a * inv[:, None]), -127, 127).astype(np.int8)
    return QuantizedTensor(w.shape, q, scale, sparse)


def write_model(path: str, tensors: Dict[str, object], metadata: dict) -> int:
    """Write the file; returns its size in bytes. Values are torch tensors (float32) or QuantizedTensor;
    the file is format version 1 when all are float32, else version 2."""
    items = []
    for name, t in tensors.items():
        if isinstance(t, QuantizedTensor):
            items.append((name, t.dtype_code, t.shape, t.to_bytes()))
        else:
            a = t.detach().cpu().contiguous().float().numpy().astype("<f4")
            items.append((name, DTYPE_FLOAT32, a.shape, a.tobytes()))
    version = FORMAT_VERSION if all(code == DTYPE_FLOAT32 for _, code, _, _ in items) else FORMAT_VERSION_2
    meta = json.dumps(metadata, ensure_ascii=False, indent=1).encode("utf-8")
    head = bytearray(MAGIC + struct.pack("<II", version, len(meta)) + meta)
    head += struct.pack("<I", len(items))
    table_size = sum(4 + len(n.encode("utf-8")) + 4 + 4 + 8 * len(shape) + 8 + 8 for n, _, shape, _ in items)
    offset = _align(len(head) + table_size)
    placed = []
    for name, code, shape, data in items:
        nb = name.encode("utf-8")
        head += struct.pack("<I", len(nb)) + nb + struct.pack("<II", code, len(shape))
        head += struct.pack(f"<{len(shape)}Q", *shape) if shape else b""
        head += struct.pack("<QQ", offset, len(data))
        placed.append((offset, data))
        offset = _align(offset + len(data))
    body = bytearray(head)
    for off, data in placed:
        body += b"\0" * (off - len(body))
        body += data
    body += hashlib.sha256(body).digest()
    with open(path, "wb") as f:
        f.write(body)
    return len(body)


def _read_quantized(path: str, name: str, dtype: int, dims, raw: bytes) -> QuantizedTensor:
    rows = int(dims[0])
    cols = int(np.prod(dims[1:])) if len(dims) > 1 else 1
    scales = np.frombuffer(raw, dtype="<f4", count=rows)
    rest = raw[4 * rows:]
    if dtype == DTYPE_INT8_PER_CHANNEL:
        if len(rest) != rows * cols:
            raise ValueError(f"{path}: tensor {name} has {len(raw)} bytes; its shape needs {4 * rows + rows * cols}")
        return QuantizedTensor(dims, np.frombuffer(rest, dtype=np.int8).reshape(rows, cols), scales)
    nb = (cols + BLOCK - 1) // BLOCK
    bitmap_len = (rows * nb + 7) // 8
    mask = np.unpackbits(np.frombuffer(rest[:bitmap_len], dtype=np.uint8), bitorder="little")
    if mask[rows * nb:].any():
        raise ValueError(f"{path}: tensor {name} has bitmap bits set past its blocks")
    mask = mask[:rows * nb].astype(bool)
    packed = np.frombuffer(rest[bitmap_len:], dtype=np.int8)
    if packed.size != int(mask.sum()) * BLOCK:
        raise ValueError(f"{path}: tensor {name} marks {int(mask.sum())} blocks but stores {packed.size // BLOCK}")
    blocks = np.zeros((rows * nb, BLOCK), dtype=np.int8)
    blocks[mask] = packed.reshape(-1, BLOCK)
    padded = blocks.reshape(rows, nb * BLOCK)
    if padded[:, cols:].any():
        raise ValueError(f"{path}: tensor {name} has non-zero values in block padding")
    return QuantizedTensor(dims, padded[:, :cols], scales, sparse=True)


def read_model(path: str, dequantize: bool = True) -> Tuple[dict, Dict[str, object]]:
    """Read and verify a model file (version 1 or 2); returns (metadata, tensors by name). Int8 tensors are
    returned dequantized to float32 torch tensors, or as QuantizedTensor when ``dequantize`` is False."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 16 + 32 or data[:8] != MAGIC:
        raise ValueError(f"{path} is not an EdgeVoice model file (bad magic); {REGENERATE_HINT}")
    version, meta_len = struct.unpack_from("<II", data, 8)
    if version not in (FORMAT_VERSION, FORMAT_VERSION_2):
        raise ValueError(f"{path} has format version {version}, this reader understands 1 and 2; {REGENERATE_HINT}")
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
        if dtype not in (DTYPE_FLOAT32, DTYPE_INT8_PER_CHANNEL, DTYPE_INT8_BLOCK_SPARSE) or (dtype and version < 2):
            raise ValueError(f"{path}: tensor {name} has dtype code {dtype}, not allowed in format version {version}")
        if offset % ALIGN or offset + nbytes > len(data) - 32:
            raise ValueError(f"{path}: tensor {name} lies outside the data section")
        if dtype != DTYPE_FLOAT32:
            q = _read_quantized(path, name, dtype, dims, data[offset:offset + nbytes])
            tensors[name] = q.dequantize() if dequantize else q
            continue
        a = np.frombuffer(data, dtype="<f4", count=nbytes // 4, offset=offset).reshape(dims)
        tensors[name] = torch.from_numpy(a.copy())
    return metadata, tensors
