# A learning-rate schedule is stateless: it maps the step it is given to a rate, and the step
# counter is the optimizer's `iterations`. `model`'s Adam has counted every step of its run
# (where the schedule gives 0), so this model gets a fresh Adam; the schedule can be shared.
functional_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=schedule),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
functional_model.fit(
    train_inputs,
    train_labels,
    epochs=epochs,
    batch_size=batch_size,
    validation_split=validation_split,
    verbose=2,
)
_, functional_accuracy = functional_model.evaluate(test_inputs, test_labels, verbose=0)
print(f"Sequential model, test accuracy: {test_accuracy:.2%}")
print(f"Functional model, test accuracy: {functional_accuracy:.2%}")
