// session_tables.h - a session's data points and training history as CSV tables, for download
// and for spreadsheets or plotting scripts.
//
// Points: one row per point, train and test, generated or placed by hand:
//     x,y,label,split,source          (classification; "x,y,target,split,source" for regression)
//     -1.25,0.5,1,train,generated
// The line's datasets have no y column: "x,label,split,source" ("x,target,split,source").
// Coordinates and targets carry 17 significant digits (they read back to the same bits).
//
// History: one row per kept history point (the series thins itself as training goes on):
//     step,train_loss,test_loss,train_accuracy,test_accuracy,tiles,lc_train,lc_test,lc_boundary
// A value that is not known (accuracy of a regression, tiles before the first count, a test loss
// without test points) is an empty field, which spreadsheets and pandas read as missing.
#pragma once

#include "dataset.h"
#include "session.h"

#include <string>
#include <vector>

namespace splinescope {

// All points of `data`. The last `hand_placed` columns of data.train are marked "hand", every
// other point "generated" (Session puts the hand-placed points after the generated ones).
// Throws std::invalid_argument unless the data is 2-D or 1-D (train and test alike) and
// hand_placed is within data.train.
std::string points_table_csv(const Split& data, Eigen::Index hand_placed = 0);

// The session's points, hand-placed ones marked as such.
std::string points_table_csv(const Session& session);

std::string history_csv(const std::vector<HistoryPoint>& history);

} // namespace splinescope
