"""Streaming ConvRNN-T transducer: causal conv subsampling, local conv block, global
(cumulative-mean) block, LayerNorm, unidirectional LSTMs, stateless prediction network, joiner.

Shapes use (N, T, C): N utterances, T frames, C channels. Every encoder layer is causal and
takes/returns an explicit state, so running ``Encoder.streaming_forward`` chunk by chunk with
the carried state gives the same output as one ``Encoder.forward`` over the whole utterance
(checked by training/test_streaming.py). Only ops that are easy to rewrite in C# are used:
Conv2d, depthwise Conv1d, Linear, LayerNorm, LSTM (gate order i, f, g, o), Embedding,
ReLU, Swish (x * sigmoid(x)), sigmoid, tanh and a running mean.

Encoder state, in order (see ``Encoder.init_state``):
  0 subsampling.cache1  (N, 2, F)            last 2 input feature frames (after CMVN)
  1 subsampling.cache2  (N, C, 2, F1)        last 2 frames of conv1's output (after ReLU)
  2 conv_block.cache    (N, D, K-1)          last K-1 LayerNorm outputs fed to the depthwise conv
  3 global_block.sum    (N, D)               running sum of the block's LayerNorm outputs
  4 global_block.count  (N,)                 number of frames summed so far (float)
  5 lstm.h              (L, N, H)
  6 lstm.c              (L, N, H)
"""

from __future__ import annotations

from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from params import Params

State = List[torch.Tensor]


class Cmvn(nn.Module):
    """Global mean/variance normalisation; the statistics are stored in the model file."""

    def __init__(self, dim: int):
        super().__init__()
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("std", torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


class CausalSubsampling(nn.Module):
    """Two Conv2d (kernel 3, stride 2 in time and frequency) then Linear to the model width.

    Time is padded on the left only (2 frames, kept as a cache when streaming), so output
    frame t of a layer sees input frames 2t-2, 2t-1, 2t. After both layers output frame t
    depends on input frames <= 4t. Frequency uses no padding: 80 -> 39 -> 19 bins.
    """

    def __init__(self, in_dim: int, channels: int, out_dim: int):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, kernel_size=3, stride=2)
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, stride=2)
        self.freq1 = (in_dim - 3) // 2 + 1
        self.freq2 = (self.freq1 - 3) // 2 + 1
        self.channels = channels
        self.out = nn.Linear(channels * self.freq2, out_dim)

    @staticmethod
    def output_lengths(lengths: torch.Tensor) -> torch.Tensor:
        return ((lengths + 1) // 2 + 1) // 2

    def forward(self, x: torch.Tensor, cache1: torch.Tensor, cache2: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        # x: (N, T, F); streaming chunks must have T divisible by 4 (except the last one).
        x = torch.cat([cache1, x], dim=1)
        new_cache1 = x[:, -2:, :]
        y = F.relu(self.conv1(x.unsqueeze(1)))            # (N, C, T1, F1)
        y = torch.cat([cache2, y], dim=2)
        new_cache2 = y[:, :, -2:, :]
        y = F.relu(self.conv2(y))                          # (N, C, T2, F2)
        n, c, t, f = y.shape
        y = y.permute(0, 2, 1, 3).reshape(n, t, c * f)     # channel-major, then frequency
        return self.out(y), new_cache1, new_cache2


class CausalConvBlock(nn.Module):
    """x + Linear(Swish(DepthwiseConv1d_causal(LayerNorm(x))))."""

    def __init__(self, dim: int, kernel: int):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.depthwise = nn.Conv1d(dim, dim, kernel_size=kernel, groups=dim)
        self.pointwise = nn.Linear(dim, dim)
        self.kernel = kernel

    def forward(self, x: torch.Tensor, cache: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        y = self.norm(x).transpose(1, 2)                   # (N, D, T)
        y = torch.cat([cache, y], dim=2)
        new_cache = y[:, :, y.size(2) - (self.kernel - 1):]
        y = self.depthwise(y).transpose(1, 2)              # (N, T, D)
        y = y * torch.sigmoid(y)
        return x + self.pointwise(y), new_cache


class GlobalMeanBlock(nn.Module):
    """Summarises everything heard so far: x + sigmoid(Wg z_t) * Wp mean(z_1..z_t), z = LN(x).

    The state is the running sum of z and the frame count, so it costs O(D) per frame.
    """

    def __init__(self, dim: int):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.gate = nn.Linear(dim, dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, run_sum: torch.Tensor, count: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        z = self.norm(x)
        csum = torch.cumsum(z, dim=1) + run_sum.unsqueeze(1)
        steps = torch.arange(1, x.size(1) + 1, device=x.device, dtype=x.dtype)
        cnt = count.unsqueeze(1) + steps.unsqueeze(0)      # (N, T)
        mean = csum / cnt.unsqueeze(2)
        y = x + torch.sigmoid(self.gate(z)) * self.proj(mean)
        return y, csum[:, -1, :], cnt[:, -1]


class Encoder(nn.Module):
    def __init__(self, p: Params):
        super().__init__()
        self.subsampling = CausalSubsampling(p.num_mel_bins, p.subsampling_channels, p.encoder_dim)
        self.conv_block = CausalConvBlock(p.encoder_dim, p.conv_kernel)
        self.global_block = GlobalMeanBlock(p.encoder_dim)
        self.norm = nn.LayerNorm(p.encoder_dim)   # keeps the LSTM input in range
        # Linear path around the LSTMs: the output stays input-dependent (and gradients reach
        # the convolutional front end) even while the LSTMs are saturated early in training.
        self.skip = nn.Linear(p.encoder_dim, p.lstm_hidden)
        self.lstm = nn.LSTM(p.encoder_dim, p.lstm_hidden, num_layers=p.lstm_layers,
                            batch_first=True, dropout=p.lstm_dropout if p.lstm_layers > 1 else 0.0)
        self.p = p

    def init_state(self, batch: int) -> State:
        p = self.p
        sub = self.subsampling
        return [
            torch.zeros(batch, 2, p.num_mel_bins),
            torch.zeros(batch, sub.channels, 2, sub.freq1),
            torch.zeros(batch, p.encoder_dim, p.conv_kernel - 1),
            torch.zeros(batch, p.encoder_dim),
            torch.zeros(batch),
            torch.zeros(p.lstm_layers, batch, p.lstm_hidden),
            torch.zeros(p.lstm_layers, batch, p.lstm_hidden),
        ]

    def streaming_forward(self, x: torch.Tensor, state: State) -> Tuple[torch.Tensor, State]:
        """x: (N, T, F) CMVN-normalised features. Returns (N, T', H) and the new state."""
        y, c1, c2 = self.subsampling(x, state[0], state[1])
        y, cc = self.conv_block(y, state[2])
        y, gs, gc = self.global_block(y, state[3], state[4])
        z = self.norm(y)
        y, (h, c) = self.lstm(z, (state[5], state[6]))
        y = y + self.skip(z)
        return y, [c1, c2, cc, gs, gc, h, c]

    def forward(self, x: torch.Tensor, lengths: torch.Tensor, return_cell: bool = False):
        """Whole utterances, padded at the end (padding never affects earlier frames).
        Returns (output, lengths), plus the LSTMs' last cell state (L, N, H) with return_cell."""
        y, state = self.streaming_forward(x, self.init_state(x.size(0)))
        lens = CausalSubsampling.output_lengths(lengths)
        return (y, lens, state[6]) if return_cell else (y, lens)


class StatelessPredictor(nn.Module):
    """Prediction network over the last ``context_size`` tokens (blank before the start):
    ReLU(DepthwiseConv1d(Embedding(tokens))), with no recurrent state."""

    def __init__(self, vocab_size: int, dim: int, context_size: int):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim)
        self.conv = nn.Conv1d(dim, dim, kernel_size=context_size, groups=dim, bias=False)
        self.context_size = context_size

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens: (N, U + context_size - 1) -> (N, U, dim); each output sees context_size tokens."""
        e = self.embedding(tokens).transpose(1, 2)
        return F.relu(self.conv(e)).transpose(1, 2)


class Joiner(nn.Module):
    """logits = output(tanh(encoder_proj(enc) + decoder_proj(dec)))."""

    def __init__(self, enc_dim: int, dec_dim: int, joiner_dim: int, vocab_size: int):
        super().__init__()
        self.encoder_proj = nn.Linear(enc_dim, joiner_dim)
        self.decoder_proj = nn.Linear(dec_dim, joiner_dim)
        self.output = nn.Linear(joiner_dim, vocab_size)

    def forward(self, enc_projected: torch.Tensor, dec_projected: torch.Tensor) -> torch.Tensor:
        return self.output(torch.tanh(enc_projected + dec_projected))


class Transducer(nn.Module):
    def __init__(self, p: Params):
        super().__init__()
        self.cmvn = Cmvn(p.num_mel_bins)
        self.encoder = Encoder(p)
        self.predictor = StatelessPredictor(p.vocab_size, p.decoder_dim, p.context_size)
        self.joiner = Joiner(p.lstm_hidden, p.decoder_dim, p.joiner_dim, p.vocab_size)
        self.p = p

    def encode(self, feats: torch.Tensor, lengths: torch.Tensor, return_cell: bool = False):
        return self.encoder(self.cmvn(feats), lengths, return_cell)

    def predictor_input(self, targets: List[List[int]]) -> torch.Tensor:
        """(N, U_max + context_size): context_size blanks, then the tokens, blank-padded."""
        ctx = self.p.context_size
        u_max = max(len(t) for t in targets)
        out = torch.full((len(targets), u_max + ctx), self.p.blank_id, dtype=torch.long)
        for i, t in enumerate(targets):
            out[i, ctx:ctx + len(t)] = torch.tensor(t, dtype=torch.long)
        return out

    def forward(self, feats: torch.Tensor, lengths: torch.Tensor, targets: List[List[int]],
                return_encoder: bool = False, return_logits: bool = False):
        """Mean (over utterances) RNN-T loss; feats are raw fbank (N, T, F) — CMVN is applied here.
        With return_encoder, returns (loss, encoder output, encoder lengths, LSTM cell state at the end);
        with return_logits, (loss, joiner logits (N, T, U+1, V), encoder lengths, targets (N, U), target lengths)."""
        import torchaudio.functional as TAF
        enc, enc_lens, cell = self.encode(feats, lengths, return_cell=True)
        dec = self.predictor(self.predictor_input(targets))           # (N, U+1, Dd)
        logits = self.joiner(self.joiner.encoder_proj(enc).unsqueeze(2),
                             self.joiner.decoder_proj(dec).unsqueeze(1))  # (N, T, U+1, V)
        tgt = torch.zeros(len(targets), dec.size(1) - 1, dtype=torch.int32)
        for i, t in enumerate(targets):
            tgt[i, :len(t)] = torch.tensor(t, dtype=torch.int32)
        tgt_lens = torch.tensor([len(t) for t in targets], dtype=torch.int32)
        loss = TAF.rnnt_loss(logits.float(), tgt, enc_lens.int(), tgt_lens,
                             blank=self.p.blank_id, reduction="mean")
        if return_logits:
            return loss, logits, enc_lens, tgt, tgt_lens
        return (loss, enc, enc_lens, cell) if return_encoder else loss


def collapsed_log_probs(logits: torch.Tensor, targets: torch.Tensor, blank: int) -> torch.Tensor:
    """Per lattice node (n, t, u < U), the log-probabilities of three outcomes: blank, the next reference token
    targets[n, u], and anything else. (N, T, U+1, V) logits -> (N, T, U, 3). The efficient RNN-T distillation of
    Panchapagesan et al. (Interspeech 2021) compares teacher and student on these instead of on all V outputs."""
    logp = logits.float().log_softmax(dim=-1)[:, :, :-1, :]          # nodes with a next token
    n, t, u, _ = logp.shape
    lp_blank = logp[..., blank]
    lp_next = logp.gather(3, targets.long().view(n, 1, u, 1).expand(n, t, u, 1)).squeeze(3)
    rest = torch.log1p(-(lp_blank.exp() + lp_next.exp()).clamp(max=1.0 - 1e-6))
    return torch.stack([lp_blank, lp_next, rest], dim=-1)


def collapsed_distillation(student: torch.Tensor, teacher: torch.Tensor, enc_lens: torch.Tensor, targets: torch.Tensor,
                           target_lens: torch.Tensor, blank: int) -> torch.Tensor:
    """KL(teacher || student) over the three collapsed outcomes, summed over the valid nodes of each utterance
    (t < T_n, u < U_n) and averaged over utterances, so it has the scale of the per-utterance RNN-T loss."""
    s = collapsed_log_probs(student, targets, blank)
    with torch.no_grad():
        q = collapsed_log_probs(teacher, targets, blank)
    kl = (q.exp() * (q - s)).sum(dim=-1)                               # (N, T, U)
    n, t, u = kl.shape
    mask = (torch.arange(t).view(1, t, 1) < enc_lens.view(n, 1, 1)) & (torch.arange(u).view(1, 1, u) < target_lens.view(n, 1, 1).long())
    return (kl * mask).sum() / n


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
