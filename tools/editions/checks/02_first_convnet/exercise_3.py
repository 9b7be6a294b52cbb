# points: 1
# names: functional_accuracy (functional_model's test accuracy after training)
# explain: Same accuracy as the Sequential model? Why or why not?
assert 0.0 <= functional_accuracy <= 1.0, "functional_accuracy should be an accuracy"
### BEGIN HIDDEN TESTS
assert functional_model.optimizer is not model.optimizer, "compile with a new Adam"
assert int(functional_model.optimizer.iterations) > 0, "functional_model has not been trained"
_, expected_accuracy = functional_model.evaluate(test_inputs, test_labels, verbose=0)
assert abs(functional_accuracy - expected_accuracy) < 1e-6, "not functional_model's accuracy"
### END HIDDEN TESTS
