# points: 1
# names: conv_count (parameters of the convolution), dense_count (of dense_hidden)
# explain: Coincidence? Explain it with the two formulas.
assert isinstance(conv_count, int) and isinstance(dense_count, int), "two whole numbers"
### BEGIN HIDDEN TESTS
assert conv_count == dense_count == 36_928, f"{conv_count:,} and {dense_count:,}"
### END HIDDEN TESTS
