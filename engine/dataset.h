// dataset.h - the data a network trains on: points, labels or targets, and a train/test split.
#pragma once

#include <Eigen/Dense>

namespace splinescope {

struct Dataset {
  Eigen::MatrixXd X;        // (D, n) one point per column
  Eigen::VectorXi labels;   // (n) class index in [0, classes) for classification; empty otherwise
  Eigen::VectorXd targets;  // (n) regression targets; empty for classification
  int classes = 2;          // number of classes; 0 for a regression dataset

  Eigen::Index size() const { return X.cols(); }
  int dim() const { return static_cast<int>(X.rows()); }
  bool is_regression() const { return classes == 0; }
};

struct Split {
  Dataset train;
  Dataset test;
};

} // namespace splinescope
