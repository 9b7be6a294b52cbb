# points: 1
# names: plain (the network without batch norm), plain_history (its fit history), longer (epochs)
# explain: Which would you choose, and why?
kinds = [type(layer).__name__ for layer in plain.layers]
assert "BatchNormalization" not in kinds, "build it with batch_norm=False"
### BEGIN HIDDEN TESTS
assert plain.count_params() == 421_642, f"{plain.count_params():,} parameters"
assert len(plain_history.epoch) == longer == helpers.training_epochs(full=8, quick=1)
### END HIDDEN TESTS
