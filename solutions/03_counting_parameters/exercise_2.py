# A 3×3 filter over 64 channels sees 3 · 3 · 64 = 576 values, exactly as many as
# dense_hidden gets from Flatten: both layers are 576 inputs × 64 outputs + 64 biases.
conv_count = conv2d_params(3, in_channels=64, filters=64)
dense_count = dense_params(inputs=576, units=64)
print(f"Conv2D(64, 3×3) on 64 channels: {conv_count:,}   Dense(64) on 576 values: {dense_count:,}")
assert conv_count == dense_count == 36_928
