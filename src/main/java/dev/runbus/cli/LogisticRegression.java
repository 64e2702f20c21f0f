package dev.runbus.cli;

import java.util.Random;

/**
 * A small but real model for the demo: binary logistic regression trained by mini-batch SGD on a
 * generated, linearly separable-with-noise data set, so the loss really falls and the accuracy
 * really rises.
 */
final class LogisticRegression {

  private final double[][] trainX;
  private final int[] trainY;
  private final double[][] validX;
  private final int[] validY;
  private final double[] weights;
  private double bias;
  private final Random random;

  LogisticRegression(int samples, int features, long seed) {
    random = new Random(seed);
    double[] truth = new double[features];
    for (int j = 0; j < features; j++) {
      truth[j] = random.nextGaussian() * 2;
    }
    int validation = samples / 5;
    trainX = new double[samples - validation][];
    trainY = new int[samples - validation];
    validX = new double[validation][];
    validY = new int[validation];
    for (int i = 0; i < samples; i++) {
      double[] x = new double[features];
      double z = 0;
      for (int j = 0; j < features; j++) {
        x[j] = random.nextGaussian();
        z += truth[j] * x[j];
      }
      int y = z + random.nextGaussian() > 0 ? 1 : 0; // label noise keeps it from being trivial
      if (i < validation) {
        validX[i] = x;
        validY[i] = y;
      } else {
        trainX[i - validation] = x;
        trainY[i - validation] = y;
      }
    }
    weights = new double[features];
  }

  int trainSize() {
    return trainX.length;
  }

  /** One SGD step on a random mini-batch; returns the batch's mean log-loss before the update. */
  double step(int batchSize, double learningRate) {
    double[] gradW = new double[weights.length];
    double gradB = 0;
    double loss = 0;
    for (int b = 0; b < batchSize; b++) {
      int i = random.nextInt(trainX.length);
      double p = predict(trainX[i]);
      loss += logLoss(p, trainY[i]);
      double error = p - trainY[i];
      for (int j = 0; j < weights.length; j++) {
        gradW[j] += error * trainX[i][j];
      }
      gradB += error;
    }
    for (int j = 0; j < weights.length; j++) {
      weights[j] -= learningRate * gradW[j] / batchSize;
    }
    bias -= learningRate * gradB / batchSize;
    return loss / batchSize;
  }

  /** Mean log-loss and accuracy on the held-out set. */
  double[] evaluate() {
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < validX.length; i++) {
      double p = predict(validX[i]);
      loss += logLoss(p, validY[i]);
      if ((p >= 0.5 ? 1 : 0) == validY[i]) {
        correct++;
      }
    }
    return new double[] {loss / validX.length, (double) correct / validX.length};
  }

  double weightNorm() {
    double sum = 0;
    for (double w : weights) {
      sum += w * w;
    }
    return Math.sqrt(sum);
  }

  private double predict(double[] x) {
    double z = bias;
    for (int j = 0; j < weights.length; j++) {
      z += weights[j] * x[j];
    }
    return 1 / (1 + Math.exp(-z));
  }

  private static double logLoss(double p, int y) {
    double clipped = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
    return y == 1 ? -Math.log(clipped) : -Math.log(1 - clipped);
  }
}
