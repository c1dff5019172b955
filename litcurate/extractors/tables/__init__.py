"""The tables stage: captions and regions, header and grid, rows, continuations, legends."""
