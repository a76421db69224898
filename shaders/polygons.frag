// polygons.frag - flat colour per vertex (tiles: the code-hash colour; edges: translucent dark).
in vec4 v_colour;
out vec4 frag_colour;
void main() { frag_colour = v_colour; }
