max_colours = keras.ops.convert_to_numpy(keras.layers.GlobalMaxPooling2D()(batch))
print("input:", batch.shape, "-> output:", max_colours.shape)
for name, colour in zip(photo_names, max_colours, strict=True):
    red, green, blue = colour
    print(f"{name}: max red {red:.3f}, green {green:.3f}, blue {blue:.3f}")
