# points: 1
# names: edge_filter (the 3×3 vertical-edge filter, shape (3, 3, 3, 1))
assert edge_filter.shape == (3, 3, 3, 1), f"shape {edge_filter.shape}"
### BEGIN HIDDEN TESTS
assert np.all(edge_filter[:, 0] == -1) and np.all(edge_filter[:, 2] == 1), "−1 left, +1 right"
assert np.all(edge_filter[:, 1] == 0), "0 in the middle column"
### END HIDDEN TESTS
