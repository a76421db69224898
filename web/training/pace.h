// pace.h - how fast training goes, in optimiser steps per second of wall time.
//
// The pace is for watching: a student sees the tiles form over tens of seconds instead of a
// finished picture after three. Pace 0 is "as fast as possible", where `speed` (the share of the
// machine training takes, app.h) applies as before; throughput is measured there. The in-page
// trainer counts its steps with a PaceClock; the worker keeps the same clock in
// worker/trainer_loop.js.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace splinescope {

inline constexpr double kMinPace = 1.0, kMaxPace = 10000.0; // steps per second
// The default: the default spiral's network (3 x 16, Adam) passes 0.95 test accuracy near step
// 100 and fits it near step 150, so it takes tens of seconds to watch (tests/browser/pace.test.mjs).
inline constexpr double kDefaultPace = 6.0;
// Credit beyond this many seconds of the pace is dropped: no burst of steps after the page was
// hidden, a stall, or a pause.
inline constexpr double kPaceCreditSeconds = 0.25;

class PaceClock {
 public:
  // Steps due at `pace` (steps/s; 0: no limit) by `now_ms`, credit included.
  int due(double pace, double now_ms) {
    if (pace <= 0) {
      last_ms_ = now_ms;
      credit_ = 0;
      return std::numeric_limits<int>::max();
    }
    if (last_ms_ >= 0 && now_ms > last_ms_) credit_ += pace * (now_ms - last_ms_) / 1000.0;
    last_ms_ = now_ms;
    credit_ = std::min(credit_, std::max(1.0, pace * kPaceCreditSeconds));
    return static_cast<int>(std::floor(credit_));
  }
  void spend(int steps) { credit_ = std::max(0.0, credit_ - steps); }
  // Training (re)starts: one step is due at once (Play shows a step), the next ones at the pace.
  void restart() {
    credit_ = 1;
    last_ms_ = -1;
  }

 private:
  double credit_ = 1;
  double last_ms_ = -1;
};

} // namespace splinescope
