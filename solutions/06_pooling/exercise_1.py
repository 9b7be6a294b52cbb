strided_conv = keras.layers.Conv2D(3, 3, strides=2, padding="same")
strided_output = strided_conv(region)
print("output shape:", tuple(strided_output.shape))
print("parameters:", strided_conv.count_params(), "= 3 × 3 × 3 × 3 weights + 3 biases")
