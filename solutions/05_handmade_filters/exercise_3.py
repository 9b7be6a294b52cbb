valid_maps = keras.ops.conv(batch, line_filters, strides=1, padding="valid")
print("shape with padding='valid':", tuple(valid_maps.shape))
corner_by_hand = batch[0, 0, 0 : centre + 1, :].sum()  # row 0, columns 0 to 3, 3 channels
print(f"feature_maps[0, 0, 0, 1] = {feature_maps[0, 0, 0, 1]:.4f}, by hand {corner_by_hand:.4f}")
