# points: 1
# names: shifted (shift, normalise, compact_convnet), shifted_history (its fit history), longer
assert shifted.layers[0] is shift and shifted.layers[1] is normalise, "shift, then normalise"
### BEGIN HIDDEN TESTS
assert len(shifted_history.epoch) == longer, f"{len(shifted_history.epoch)} epochs"
assert "val_accuracy" in shifted_history.history, "validate while training"
### END HIDDEN TESTS
