conv_result(filters=32, kernel_size=5, strides=2, padding="same")
