module github.com/msgsim/msgsim

go 1.26
