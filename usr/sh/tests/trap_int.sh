trap 'echo caught INT' INT
kill -INT $$
echo after
trap 'echo caught USR1' USR1
kill -USR1 $$
trap - INT
trap '' TERM
kill -TERM $$
echo survived
trap
