// Command kubernetes-cron-ref reads CronJob schedules (JSON lines {"schedule": "..."} on stdin) and prints, one JSON
// line each, whether Kubernetes accepts the schedule and, if it does, how often it runs. Written for vault-platform
// as the reference of the differential test test/config/cron-differential.test.ts.
//
// The schedule goes through robfig/cron v3.0.1 itself (Debian's golang-github-robfig-cron-dev), the version
// Kubernetes pins: kube-apiserver validates a CronJob's schedule with cron.ParseStandard
// (pkg/apis/batch/validation/validation.go validateScheduleFormat) and the CronJob controller computes its runs
// with the same parser's Next (pkg/controller/cronjob/utils.go mostRecentScheduleTime). Runs are counted in UTC (the
// snapshot CronJob's timeZone is Etc/UTC) from 2025-01-01 to 2053-01-01: 28 years, every weekday and leap-year
// alignment of the Gregorian calendar between 1901 and 2099.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/robfig/cron"
)

type request struct {
	Schedule string `json:"schedule"`
}

type answer struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	// Runs in the window and the longest time between two of them, in seconds.
	Runs       int   `json:"runs"`
	LongestGap int64 `json:"longestGap"`
}

var (
	start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	end   = time.Date(2053, 1, 1, 0, 0, 0, 0, time.UTC)
)

func measure(schedule string) answer {
	s, err := cron.ParseStandard(schedule)
	if err != nil {
		return answer{Error: err.Error()}
	}
	a := answer{OK: true}
	var last time.Time
	// Next is strictly after its argument: start a second early to count a run at the window's first instant.
	for t := s.Next(start.Add(-time.Second)); !t.IsZero() && t.Before(end); t = s.Next(t) {
		if !last.IsZero() {
			if gap := int64(t.Sub(last) / time.Second); gap > a.LongestGap {
				a.LongestGap = gap
			}
		}
		last = t
		a.Runs++
	}
	return a
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			fmt.Fprintln(os.Stderr, "bad input line:", err)
			os.Exit(2)
		}
		if err := enc.Encode(measure(r.Schedule)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
