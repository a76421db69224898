// flat_polygons.frag - the vertex colour (flat_polygons.vert).
in vec4 v_colour;
out vec4 frag_colour;
void main() { frag_colour = v_colour; }
