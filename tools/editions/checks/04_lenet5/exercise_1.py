# points: 1
# names: same_padded (LeNet-5 with padding="same" in C1)
kinds = [type(layer).__name__ for layer in same_padded.layers]
assert "ZeroPadding2D" not in kinds, "drop the padding layer"
assert same_padded.layers[0].padding == "same", "the first convolution should pad"
### BEGIN HIDDEN TESTS
assert same_padded.count_params() == 61_706, f"{same_padded.count_params():,} parameters"
assert tuple(same_padded.layers[0].output.shape[1:]) == (28, 28, 6)
### END HIDDEN TESTS
