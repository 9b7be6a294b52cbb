edge_filter = np.zeros((3, 3, 3, 1), dtype=np.float32)
edge_filter[:, 0, :, 0] = -1
edge_filter[:, 2, :, 0] = 1

stripe = np.zeros((1, 5, 12, 3), dtype=np.float32)
stripe[:, :, 4:8, :] = 1  # a white stripe in columns 4 to 7
stripe_map = keras.ops.conv(stripe, edge_filter, strides=1, padding="same")
across_stripe = keras.ops.convert_to_numpy(stripe_map)[0, 2, :, 0]
print("stripe, row 2:     ", stripe[0, 2, :, 0].astype(int))
print("edge filter, row 2:", across_stripe.astype(int))

edge_maps = keras.ops.convert_to_numpy(
    keras.ops.conv(batch, edge_filter, strides=1, padding="same")
)
fig = plot_feature_maps(edge_maps[0], titles=["china.jpg: vertical edges"])
fig.set_size_inches(8, 5.5)
plt.show()
