diagonal_filter = np.zeros((7, 7, 3, 1), dtype=np.float32)
steps = np.arange(7)
diagonal_filter[steps, steps, :, 0] = 1
diagonal_filter -= diagonal_filter.mean()
on_diagonal, elsewhere = diagonal_filter[0, 0, 0, 0], diagonal_filter[0, 1, 0, 0]
print(f"weights: {on_diagonal:.4f} on the diagonal, {elsewhere:.4f} elsewhere")
print(f"sum of the weights: {abs(diagonal_filter.sum()):.4f}")

# Two 7×7 test images: a thin white line on black along each diagonal.
for name, line_rows in [("its own diagonal", steps), ("the other diagonal", 6 - steps)]:
    line_image = np.zeros((1, 7, 7, 3), dtype=np.float32)
    line_image[0, line_rows, steps, :] = 1
    response = keras.ops.conv(line_image, diagonal_filter, strides=1, padding="same")
    centre_value = round(float(keras.ops.convert_to_numpy(response)[0, 3, 3, 0]), 2) + 0.0
    print(f"line along {name}, output at the centre: {centre_value:.2f}")

diagonal_maps = keras.ops.convert_to_numpy(
    keras.ops.conv(batch, diagonal_filter, strides=1, padding="same")
)
print(f"sky at row 51, column 624: {diagonal_maps[0, 51, 624, 0]:.2f}")
plot_image_grid(diagonal_maps[..., 0], titles=photo_names, ncols=2, panel_size=(5, 4))
plt.show()
