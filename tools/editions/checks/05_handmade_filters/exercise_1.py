# points: 1
# names: diagonal_filter (the 7×7 filter, shape (7, 7, 3, 1))
# explain: What does the filter give on the sky, and on a line along each diagonal?
assert diagonal_filter.shape == (7, 7, 3, 1), f"shape {diagonal_filter.shape}"
assert abs(float(diagonal_filter.sum())) < 1e-4, "the weights should add up to zero"
### BEGIN HIDDEN TESTS
on_diagonal = np.eye(7, dtype=bool)
weights = diagonal_filter[..., 0]
assert np.allclose(weights[on_diagonal], 6 / 7, atol=1e-5), "6/7 on the diagonal"
assert np.allclose(weights[~on_diagonal], -1 / 7, atol=1e-5), "-1/7 elsewhere"
### END HIDDEN TESTS
