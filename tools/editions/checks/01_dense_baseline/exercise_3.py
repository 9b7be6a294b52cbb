# points: 1
# names: shifted_inputs (the shifted test images), shifted_accuracy (the accuracy on them)
# explain: What happens to the accuracy, and why?
assert shifted_inputs.shape == test_inputs.shape, f"shape {shifted_inputs.shape}"
### BEGIN HIDDEN TESTS
assert np.array_equal(shifted_inputs, np.roll(test_inputs, 2, axis=2)), "not shifted 2 to the right"
_, expected_accuracy = model.evaluate(shifted_inputs, test_targets, verbose=0)
assert abs(shifted_accuracy - expected_accuracy) < 1e-6, "shifted_accuracy is not model's accuracy"
### END HIDDEN TESTS
