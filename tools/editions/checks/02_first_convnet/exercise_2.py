# points: 1
# names: no_second_pool (the model without pool_2)
layer_names = [layer.name for layer in no_second_pool.layers]
assert "pool_2" not in layer_names, f"layers: {layer_names}"
### BEGIN HIDDEN TESTS
assert tuple(no_second_pool.get_layer("conv_3").output.shape[1:]) == (9, 9, 64)
assert no_second_pool.count_params() == 406_986, f"{no_second_pool.count_params():,} parameters"
### END HIDDEN TESTS
