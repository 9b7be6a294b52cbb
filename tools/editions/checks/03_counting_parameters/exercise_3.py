# points: 1
# names: pooled_head (the worked example with GlobalAveragePooling2D)
kinds = [type(layer).__name__ for layer in pooled_head.layers]
assert "GlobalAveragePooling2D" in kinds and "Flatten" not in kinds, f"layers: {kinds}"
### BEGIN HIDDEN TESTS
assert pooled_head.count_params() == 28_106, f"{pooled_head.count_params():,} parameters"
### END HIDDEN TESTS
