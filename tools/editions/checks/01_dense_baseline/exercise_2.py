# points: 1
# names: integer_model (the fresh copy, trained), integer_accuracy (its test accuracy)
assert integer_model is not model, "train a fresh copy, not `model` itself"
assert 0.0 <= integer_accuracy <= 1.0, "integer_accuracy should be an accuracy"
### BEGIN HIDDEN TESTS
assert "sparse_categorical" in str(integer_model.loss), f"loss: {integer_model.loss}"
assert int(integer_model.optimizer.iterations) > 0, "integer_model has not been trained"
assert integer_model.count_params() == model.count_params(), "the architecture should not change"
### END HIDDEN TESTS
