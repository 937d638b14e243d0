cat < /nonexistent 2>/dev/null
echo status $?
echo x > /nonexistent/dir/f 2>/dev/null
echo status $?
{ echo in-group; } > /nonexistent/x 2>/dev/null
echo status $?
echo after
