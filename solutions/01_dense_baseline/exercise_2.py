# Same architecture, fresh weights; only the loss and the targets change. "accuracy" stays:
# Keras picks the accuracy that matches the targets (for integers, SparseCategoricalAccuracy).
integer_model = keras.models.clone_model(model)
integer_model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=2e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
integer_model.fit(
    train_inputs, train_labels, epochs=epochs, batch_size=128, validation_split=0.1, verbose=2
)
_, integer_accuracy = integer_model.evaluate(test_inputs, test_labels, verbose=0)
print(f"integer labels, test accuracy: {integer_accuracy:.2%}")
print(f"one-hot targets, test accuracy: {test_accuracy:.2%} (the model trained above)")
