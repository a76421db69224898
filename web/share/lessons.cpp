// lessons.cpp - the lessons gallery (lessons.h). The tests check that every query reads without a
// note and that every lesson loads and renders in the browser. A lesson that trains sets its pace
// so that its run takes about twenty seconds to watch.
#include "lessons.h"

namespace splinescope {

const std::vector<Lesson>& lessons() {
  static const std::vector<Lesson> all = {
      {"lines", "One layer is a line arrangement",
       "One hidden layer of 6 ReLUs: each neuron is zero along one straight line, and the 6 lines "
       "cut the plane into convex tiles (at most 1 + 6 + 15 = 22). Neuron 1.2 is highlighted. "
       "Press play: training only moves the lines.",
       "data=circles&layers=6&neuron=1.2&pace=150&play=1&steps=3000",
       {ClaimKind::arrangement_bound}},
      {"depth", "Depth subdivides every tile",
       "Coloured by the first layer's codes only: a line arrangement. Press 2, then 3 (or use "
       "'layers coloured'): each layer cuts the tiles of the layers before it into smaller ones, "
       "along lines that bend where they cross earlier boundaries.",
       "data=circles&layers=6,6,6&layer=1&neuron=2.0", {ClaimKind::depth_refines}},
      {"line", "On a line, a network is a polyline",
       "A 1-16-16-1 ReLU network fitting a sine: with one input, the affine spline is a polyline. "
       "It is affine on each piece (a 1-D tile, shaded in its code's colour) and bends only at "
       "knots, where a neuron switches on or off (dots in their layer's colour). Hover the curve "
       "for a piece's slope and intercept; the tile chart counts the pieces.",
       "data=sine&layers=16,16&pace=150&play=1&steps=3000",
       {ClaimKind::polyline_fit, 0.05}},
      {"neurons", "Each neuron is a line, then a bent line",
       "The network graph shows every neuron over the view: on (orange) or off (blue). A "
       "first-layer neuron switches along a straight line; a second-layer neuron along a line "
       "that bends where it crosses the first layer's lines. Hover a node to draw its zero set on "
       "the canvas; click it to keep it.",
       "data=circles&layers=6,6&neuron=2.1&panels=controls,data,network,optimizer,view,export,charts,"
       "lessons,inspector,graph"},
      {"code", "The code is the network's on/off pattern",
       "Move the cursor over the canvas: the lit nodes of the network graph are the neurons that "
       "are on there. That on/off pattern is the tile's code. It stays the same inside a tile and "
       "changes when the cursor crosses an edge: one neuron for each edge crossed.",
       "data=moons&layers=8,8&panels=controls,data,network,optimizer,view,export,charts,lessons,"
       "inspector,graph"},
      {"spline", "The network is an affine spline",
       "A depth-4, width-20 network fitting a ripple. Its graph is made of flat facets, one per "
       "tile, joined along the tile edges: f is affine on every tile. Drag to orbit; press V for "
       "the flat view.",
       "data=ripple&layers=20,20,20,20&3d=1&pace=200&play=1&steps=4000"},
      {"boundary", "The decision boundary is a polyline",
       "The bold curve is where the logit is zero. The logit is affine on each tile, so inside a "
       "tile the boundary is one straight segment; it bends only where it crosses a tile edge.",
       "data=moons&layers=8,8&pace=100&play=1&steps=2000"},
      {"relu", "ReLU",
       "ReLU zeroes negative inputs: each neuron's line splits the plane into a half where the "
       "neuron is off and a half where it passes its input on. Compare with leaky ReLU and the "
       "absolute value on the same data.",
       "data=xor&layers=8,8&act=relu&pace=100&play=1&steps=2000"},
      {"leaky", "Leaky ReLU",
       "Leaky ReLU (slope 0.2 below zero) cuts the plane along the same kind of lines as ReLU, "
       "but no neuron is ever fully off, so no tile is flat for a whole layer.",
       "data=xor&layers=8,8&act=leaky_relu&alpha=0.2&pace=100&play=1&steps=2000"},
      {"abs", "Absolute value",
       "The absolute value folds the plane along each neuron's line: tiles on both sides map onto "
       "each other, and deeper layers cut both copies at once, giving symmetric patterns.",
       "data=xor&layers=8,8&act=abs&pace=100&play=1&steps=2000"},
      {"wide", "Width: one wide layer",
       "One layer of 48 neurons (193 parameters): 48 straight lines, so at most 1 + 48 + 1128 "
       "tiles. Compare the tile count with the deep network of the next lesson.",
       "data=spiral&layers=48&pace=150&play=1&steps=3000"},
      {"deep", "Depth: four narrow layers",
       "Four layers of 8 neurons (249 parameters): deeper neurons bend along earlier boundaries "
       "and reuse them, so the tiles multiply where the data needs them.",
       "data=spiral&layers=8,8,8,8&pace=150&play=1&steps=3000"},
      {"batchnorm", "Batch normalisation adapts the tiles to the data",
       "With batch normalisation every neuron is centred on the batch, so its line passes "
       "through the data: tiles concentrate where the points are. Switch it off under Network "
       "(bn) and compare.",
       "data=moons&noise=0.15&layers=16,16&bn=1&pace=100&play=1&steps=2000"},
      {"long", "Long training: tiles gather at the boundary",
       "Watch the local complexity chart: early on, tiles crowd around the training points; with "
       "long training (AdamW, weight decay 0.01, 100,000 steps) they leave the data and gather at "
       "the decision boundary. Set the weight decay to 0 and they stay.",
       "data=circles&layers=16,16,16&opt=adamw&wd=0.01&pace=max&play=1&steps=100000",
       {ClaimKind::complexity_migration, 0.25}},
  };
  return all;
}

const Lesson* find_lesson(const std::string& id) {
  for (const Lesson& l : lessons())
    if (id == l.id) return &l;
  return nullptr;
}

} // namespace splinescope
