# points: 1
# names: model_file (the saved file), weights_only (the model loaded with compile=False, trained on)
# explain: What does the model loaded with compile=False have, and what not?
assert Path(model_file).suffix == ".keras" and Path(model_file).is_file(), f"no file {model_file}"
assert isinstance(weights_only, keras.Model), "weights_only should be the loaded model"
### BEGIN HIDDEN TESTS
assert int(weights_only.optimizer.iterations) > 0, "weights_only has not been trained on"
assert abs(float(weights_only.optimizer.learning_rate) - 1e-4) < 1e-9, "learning rate 1e-4"
assert any(
    not np.array_equal(mine, theirs)
    for mine, theirs in zip(weights_only.get_weights(), reloaded.get_weights(), strict=True)
), "the weights have not changed"
### END HIDDEN TESTS
