"""The LSTM language model of the recipe: pieces -> embedding -> LSTM -> linear (logits over the pieces).

Tensor names (state_dict) are what the C# runtime (src/EdgeVoice.Lm/Neural/LstmLanguageModel.cs) reads:
  embed.weight [V, E]; lstm.weight_ih_l0 [4H, E]; lstm.weight_hh_l0 [4H, H]; lstm.bias_ih_l0 [4H];
  lstm.bias_hh_l0 [4H]; out.weight [V, H]; out.bias [V]   (PyTorch gate order i, f, g, o)
"""
import torch
from torch import nn


class LstmLm(nn.Module):
    def __init__(self, vocab_size: int, embed_dim: int, hidden_size: int, layers: int = 1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=layers, batch_first=True)
        self.out = nn.Linear(hidden_size, vocab_size)

    def forward(self, tokens: torch.Tensor, state=None):
        """tokens (N, T) -> log-probabilities (N, T, V) of the next piece, and the LSTM state."""
        h, state = self.lstm(self.embed(tokens), state)
        return torch.log_softmax(self.out(h), dim=-1), state


def sentence_log_probs(model: LstmLm, ids: list, bos: int, eos: int) -> list:
    """Natural-log probability of each piece of ids and of the end of sentence, given <s> and the pieces before it."""
    inp = torch.tensor([[bos] + ids])
    with torch.no_grad():
        logp, _ = model(inp)
    targets = ids + [eos]
    return [float(logp[0, t, targets[t]]) for t in range(len(targets))]
