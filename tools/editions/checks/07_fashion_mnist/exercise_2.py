# points: 1
# names: leaky_test (test inputs standardised with their own statistics), leaky_accuracy
# explain: Does the accuracy change much? Why is it still wrong?
assert 0.0 <= leaky_accuracy <= 1.0, "leaky_accuracy should be an accuracy"
### BEGIN HIDDEN TESTS
own = np.asarray(leaky_test).reshape(len(test_images), -1)
assert np.allclose(own.mean(axis=0), 0.0, atol=1e-3), "standardise with the test set's own mean"
assert not np.allclose(own, test_inputs.reshape(len(test_images), -1)), (
    "not the training statistics"
)
### END HIDDEN TESTS
