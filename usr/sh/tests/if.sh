if true; then echo t1; fi
if false; then echo no; else echo e1; fi
if false; then echo no; elif true; then echo el; else echo no; fi
if false; then :; fi
echo status $?
x=3
if [ $x -gt 2 ]
then
	echo multi-line
fi
if if false; then true; else false; fi; then echo no; else echo nested; fi
