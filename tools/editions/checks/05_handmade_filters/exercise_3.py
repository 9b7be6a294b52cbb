# points: 1
# names: valid_maps (the maps with padding="valid"), corner_by_hand (the corner value by hand)
assert len(tuple(valid_maps.shape)) == 4, "a batch of feature maps"
### BEGIN HIDDEN TESTS
assert tuple(valid_maps.shape) == (2, 421, 634, 2), f"shape {tuple(valid_maps.shape)}"
assert abs(float(corner_by_hand) - float(feature_maps[0, 0, 0, 1])) < 1e-4, "the corner value"
### END HIDDEN TESTS
