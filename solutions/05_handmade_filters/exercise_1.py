diagonal_filter = np.zeros((7, 7, 3, 1), dtype=np.float32)
steps = np.arange(7)
diagonal_filter[steps, steps, :, 0] = 1
diagonal_filter -= diagonal_filter.mean()
on_diagonal, elsewhere = diagonal_filter[0, 0, 0, 0], diagonal_filter[0, 1, 0, 0]
print(f"weights: {on_diagonal:.4f} on the diagonal, {elsewhere:.4f} elsewhere")
print(f"sum of the weights: {abs(diagonal_filter.sum()):.4f}")

diagonal_maps = tf.nn.conv2d(batch, diagonal_filter, strides=1, padding="SAME").numpy()
print(f"sky at row 51, column 624: {diagonal_maps[0, 51, 624, 0]:.2f}")
plot_image_grid(diagonal_maps[..., 0], titles=photo_names, ncols=2, cmap="gray", panel_size=(5, 4))
plt.show()
