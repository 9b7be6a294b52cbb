# points: 1
# names: wider (the model with 100 hidden units)
hidden_layers = [layer for layer in wider.layers if isinstance(layer, keras.layers.Dense)]
assert hidden_layers[0].units == 100, f"the hidden layer has {hidden_layers[0].units} units"
### BEGIN HIDDEN TESTS
assert wider.count_params() == 79_510, f"{wider.count_params():,} parameters"
### END HIDDEN TESTS
