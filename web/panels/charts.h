// charts.h - the Charts window: the losses (on a log axis by default, so that a long run does not
// flatten into a line at zero), the accuracies, the tile count and the local complexity over the
// steps, each with labelled axes and its latest value, and the timeline that replays snapshots.
#pragma once

#include <string>

namespace splinescope {

struct HistoryPoint;

// Where the window goes: at the top right the first time, back there (a screen that was
// narrow), or as the sheet of a narrow screen (layout.h).
enum class ChartsPlace { first_use, reset, sheet };
void charts_window(ChartsPlace place);

} // namespace splinescope
