// geometry_reference.h - the straightforward tessellation that tessellate_into() is tested
// against (tests only; not part of the app's interface).
//
// The same half-edge cutting, without any of the shortcuts: every line of a layer is tried on
// every piece of a face (no bounding-box tests), and every piece's map is its own full product
// W(l+1) diag(s) M + b(l+1) (no rank-one updates from the piece it was cut from, no products
// updated from a sibling's). It makes the same cuts in the same order, so it gives the same
// tiles, in the same order, with the same codes and edges, and with maps and vertices that
// differ from tessellate_into()'s by rounding only.
#pragma once

#include "geometry.h"

namespace splinescope {

void tessellate_reference_into(Tessellation& out, const Network& net, const Slice& slice,
                               const Polygon& region, const TessellationOptions& options = {});

} // namespace splinescope
