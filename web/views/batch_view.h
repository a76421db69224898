// batch_view.h - a pane's network drawn as training mode sees it (batch norm with the statistics
// of one batch, not the running averages): a fresh training batch twice a second, so the tiles
// and the decision boundary shake from batch to batch, the paper's view of batch norm as noise
// (like dropout). Between two batches it measures that shaking: the share of the view whose
// activation code changed.
#pragma once

#include "pane.h"

namespace splinescope {

inline constexpr double kBatchViewEveryMs = 500.0;

// Draws a new batch when it is due (every kBatchViewEveryMs, or at once for new weights) and
// rebuilds pane.batch_network; nothing without pane.batch_statistics or without batch norm.
// Returns true when the network on the pane changed.
bool update_batch_view(Pane& pane, double now_ms);

} // namespace splinescope
