# points: 1
# names: strided_conv (the layer), strided_output (its output on region)
# explain: How does it differ from 2×2 max pooling?
assert isinstance(strided_conv, keras.layers.Conv2D), "a Conv2D layer"
assert tuple(strided_conv.strides) == (2, 2), f"strides {strided_conv.strides}"
### BEGIN HIDDEN TESTS
assert tuple(strided_output.shape) == (1, 50, 75, 3), f"shape {tuple(strided_output.shape)}"
assert strided_conv.count_params() == 84, f"{strided_conv.count_params()} parameters"
### END HIDDEN TESTS
