# A schedule keeps its own step counter: give this model a fresh one.
functional_model.compile(
    optimizer=keras.optimizers.Adam(
        learning_rate=one_cycle_schedule(peak_learning_rate, epochs, fitted_images, batch_size)
    ),
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
