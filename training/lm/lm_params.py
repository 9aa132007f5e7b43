"""Settings shared by the LM recipe's scripts (make_text, train, export, dump_golden): one source of truth."""
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = Path("/work/cache/lm")                  # generated text, tokenizer and checkpoints (outside the repo)

# Text (make_text.py)
DOMAIN_SENTENCES = 300_000                    # generated domain sentences (train-split entity values only)
REAL_TRAIN_REPEAT = 4                         # the real train transcripts are few; repeat them in the LM text
SEED = 1

# Tokenizer (sentencepiece unigram; ids 0, 1, 2 = <unk>, <s>, </s>)
VOCAB_SIZE = 1000
UNK_ID, BOS_ID, EOS_ID = 0, 1, 2

# Network: embedding -> 1-layer LSTM -> linear over the pieces
EMBED_DIM = 256
HIDDEN_SIZE = 384
LAYERS = 1

# Training (train.py)
BATCH_SIZE = 128
LEARNING_RATE = 2e-3
MAX_MINUTES = 28.0                            # wall-clock budget (CPU, niced, one thread)
MAX_TOKENS_PER_SENTENCE = 64

ARCHITECTURE = "lstm-lm-v1"
