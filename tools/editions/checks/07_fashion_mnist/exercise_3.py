# manual: the answer is a comparison of two printed timings and accuracies
# points: 1
