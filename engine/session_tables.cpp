// session_tables.cpp - CSV tables of a session's points and history (see session_tables.h).
#include "session_tables.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace splinescope {

namespace {

void append_number(std::string& out, double v, const char* format) {
  if (!std::isfinite(v)) return; // missing: an empty field
  char buf[40];
  std::snprintf(buf, sizeof buf, format, v);
  out += buf;
}

void append_rows(std::string& out, const Dataset& d, const char* split, Eigen::Index hand_from) {
  for (Eigen::Index j = 0; j < d.size(); ++j) {
    for (Eigen::Index c = 0; c < d.X.rows(); ++c) { // x, then y in the plane
      append_number(out, d.X(c, j), "%.17g");
      out += ',';
    }
    if (d.is_regression())
      append_number(out, d.targets(j), "%.17g");
    else
      out += std::to_string(d.labels(j));
    out += ',';
    out += split;
    out += j >= hand_from ? ",hand\n" : ",generated\n";
  }
}

} // namespace

std::string points_table_csv(const Split& data, Eigen::Index hand_placed) {
  const bool regression = data.train.is_regression();
  // The dimension of the points: the train set's, else the test set's (an empty set may have no
  // rows); when both are empty, 1 if the train set has 1 row, else 2.
  const int dims = data.train.size() > 0 ? data.train.dim()
                   : data.test.size() > 0 ? data.test.dim()
                                          : (data.train.dim() == 1 ? 1 : 2);
  if ((dims != 1 && dims != 2) || (data.test.size() > 0 && data.test.dim() != dims))
    throw std::invalid_argument("the points table needs points in the plane or on a line, the "
                                "same for train and test");
  if (hand_placed < 0 || hand_placed > data.train.size())
    throw std::invalid_argument("more hand-placed points than training points");
  std::string out = std::string(dims == 2 ? "x,y," : "x,") +
                    (regression ? "target,split,source\n" : "label,split,source\n");
  out.reserve(out.size() + static_cast<std::size_t>(data.train.size() + data.test.size()) * 56);
  append_rows(out, data.train, "train", data.train.size() - hand_placed);
  append_rows(out, data.test, "test", data.test.size()); // hand-placed points only train
  return out;
}

std::string points_table_csv(const Session& session) {
  return points_table_csv(session.data(), session.user_points().size());
}

std::string history_csv(const std::vector<HistoryPoint>& history) {
  std::string out =
      "step,train_loss,test_loss,train_accuracy,test_accuracy,tiles,lc_train,lc_test,lc_boundary\n";
  out.reserve(out.size() + history.size() * 120);
  for (const HistoryPoint& h : history) {
    out += std::to_string(h.step);
    for (double v : {h.train_loss, h.test_loss, h.train_accuracy, h.test_accuracy, h.tiles,
                     h.lc_train, h.lc_test, h.lc_boundary}) {
      out += ',';
      append_number(out, v, "%.9g");
    }
    out += '\n';
  }
  return out;
}

} // namespace splinescope
