# points: 1
# names: max_colours (GlobalMaxPooling2D applied to batch)
# explain: Why does it say much less about the photos than the mean colours?
assert tuple(np.shape(max_colours)) == (2, 3), f"shape {np.shape(max_colours)}"
### BEGIN HIDDEN TESTS
assert np.allclose(max_colours, np.max(batch, axis=(1, 2))), "the largest value of each channel"
### END HIDDEN TESTS
